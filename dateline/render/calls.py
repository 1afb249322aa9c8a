"""Jinja's calls from a template, without asking each plain function what it wants passed.

A template compiles `{{ f(x) }}` to `context.call(f, x)`, which asks `f`, and `f.__call__`,
whether it takes the context, the evaluation context or the environment first (Jinja's
`pass_context` and its kin): two failed attribute lookups for a plain function, each raising
and catching an AttributeError inside. Event items make millions of such calls on a big
timeline (their dates, links, summaries and language): a tenth of the pages' drawing went
there (docs/performance.md). `Context.call` here answers at once for what can take nothing:
a macro, and a Python function without the mark in its own attributes, where `pass_context`
puts it. Anything else (a marked function, a bound method, a callable object, a builtin)
is Jinja's own `call`, unchanged. The result is the same call with the same arguments.
"""

from __future__ import annotations

from types import FunctionType

from jinja2 import runtime


class Context(runtime.Context):
    """Jinja's template context, its `call` answering first for macros and plain functions."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own names, which kwargs cannot take
        kind = type(__obj)
        if kind is runtime.Macro or (kind is FunctionType and "jinja_pass_arg" not in __obj.__dict__):
            if kwargs:  # the loop's and block's variables, for a call that takes the context
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception")
        return super().call(__obj, *args, **kwargs)
