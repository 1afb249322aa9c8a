"""How templates call and write: Jinja's calls without asking each macro and plain function what
it takes, a value written without making a Markup of it, and blocks made once a build (`once`).

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

`{{ x }}` compiles to `escape(x)`, which MarkupSafe answers with a `Markup`: a Python-level
`Markup.__new__` for each value written, a seventh of a page list's drawing, only for the
string to be joined into the page's text at once. `Template` gives its compiled code an
`escape` that returns the same characters as a plain string (`escape` below).
"""

from __future__ import annotations

from types import FunctionType

import jinja2
from jinja2 import pass_environment, runtime
from jinja2.utils import internalcode

try:
    from markupsafe import _escape_inner  # the C function MarkupSafe's escape wraps (MarkupSafe 3)
except ImportError:  # another MarkupSafe: its own escape is kept
    _escape_inner = None


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


@pass_environment
def once(env, *keys, caller):
    """Return the HTML of the block `{% call once(a, b) %}...{% endcall %}`, made the first time the
    block meets these values in this build and the same string every time after.

    The block must show nothing but what its values hold and the site's settings: nothing of the
    page it is on (a link relative to the page is made from `url("")`, given as one of the values).
    A source's reference, written on every page that cites it, is made once instead of a
    hundred times: a template's output depends on its values alone, so the bytes are the same."""
    # The block is keyed by its compiled code's identity (code objects compare by value: two
    # templates' blocks alike but for the macros they call would be equal), a string as itself,
    # anything else by identity (True is not 1 here); the entry keeps the code and the values, so
    # no id is another object's while it lives.
    store, code = env.once, caller._func.__code__
    key = (id(code), *[k if type(k) is str else id(k) for k in keys])
    held = store.get(key)
    if held is None:
        held = store[key] = (code, keys, caller())
    return held[2]


def escape(value) -> str:
    """Return `value` as MarkupSafe's `escape` writes it, as a plain string: a template's output is
    joined into one string at once, so what it writes never needed to be a `Markup` (one given is
    returned as it is)."""
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape_inner(str(value))


class Template(jinja2.Template):
    """Jinja's template, its compiled code writing values through `escape` above (the environment's
    `template_class`): the code is Jinja's, as compiled and as kept by the bytecode cache."""

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):
        template = super().from_code(environment, code, globals, uptodate)
        if _escape_inner is not None:  # its blocks and macros look the name up in the same namespace
            template.root_render_func.__globals__["escape"] = escape
        return template
