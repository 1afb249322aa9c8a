"""Jinja's calls from a template, without asking each macro and plain function what it takes.

A template compiles `{{ f(x) }}` to `context.call(f, x)`, which asks `f`, and `f.__call__`,
whether it takes the context, the evaluation context or the environment first (Jinja's
`pass_context` and its kin): a method made for `f.__call__`, two more Python calls and their
attribute lookups, before `f` is called. Event items make millions of such calls on a big
timeline (their dates, links, summaries and language): a sixth of the pages' drawing went to
`call` itself (docs/performance.md). `Context.call` here answers at once for the two kinds a
template calls most: a macro, which takes the evaluation context (it escapes as the place it
is called from says), and a Python function without the mark in its own attributes, where
`pass_context` and its kin put it, which takes nothing. Anything else (a marked function, a
bound method, a callable object, a builtin) is Jinja's own `call`, unchanged.
"""

from __future__ import annotations

from types import FunctionType

from jinja2 import runtime
from jinja2.utils import internalcode


class Context(runtime.Context):
    """Jinja's template context, its `call` answering first for macros and plain functions."""

    @internalcode  # left out of a template's traceback, as Jinja's own `call` is
    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own names, which kwargs cannot take
        kind = type(__obj)
        if kind is runtime.Macro:
            args = (__self.eval_ctx, *args)  # Macro.__call__ is marked pass_eval_context
        elif kind is not FunctionType or "jinja_pass_arg" in __obj.__dict__:
            return super().call(__obj, *args, **kwargs)
        if kwargs:  # the loop's and block's variables, for a call that takes the context
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")
