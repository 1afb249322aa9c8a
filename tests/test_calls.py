"""The templates' context calls macros and plain functions at once, everything else as Jinja does."""

import jinja2
import pytest
from jinja2 import runtime

from dateline.render import calls
from dateline.render.pages import make_env


def _env() -> jinja2.Environment:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.context_class = calls.Context
    return env


def test_the_pages_environment_uses_it(tmp_path):
    assert make_env(tmp_path).context_class is calls.Context


def test_plain_functions_and_macros_skip_jinjas_call(monkeypatch):
    def refused(*args, **kwargs):
        raise AssertionError("Jinja's own call was asked")
    monkeypatch.setattr(runtime.Context, "call", refused)
    seen = []

    def shout(text, end="!"):
        seen.append(text)
        return text.upper() + end

    template = _env().from_string(
        "{% macro item(x) %}<{{ shout(x) }}>{% endmacro %}"
        "{% for x in xs %}{% set y = x %}{{ item(y) }}{{ shout(x, end='?') }}{% endfor %}")
    assert template.render(xs=["a", "<b>"], shout=shout) == "<A!>A?<&lt;B&gt;!>&lt;B&gt;?"
    assert seen == ["a", "a", "<b>", "<b>"]


@pytest.mark.parametrize("mark, expected", [
    (jinja2.pass_context, "page"), (jinja2.pass_environment, "True"), (jinja2.pass_eval_context, "True")])
def test_marked_functions_still_get_what_they_ask_for(mark, expected):
    @mark
    def first(given):
        return given["name"] if mark is jinja2.pass_context else str(given.autoescape)

    assert _env().from_string("{% for _ in [1] %}{{ first() }}{% endfor %}").render(first=first, name="page") == expected


def test_a_loop_variable_reaches_a_function_that_takes_the_context():
    @jinja2.pass_context
    def seen(context):
        return context["y"]

    assert _env().from_string("{% for x in [1, 2] %}{% set y = x * 10 %}{{ seen() }} {% endfor %}").render(seen=seen) == "10 20 "


def test_other_callables_go_through_jinja():
    class Greeter:
        def __call__(self, name):
            return f"hi {name}"

    rendered = _env().from_string("{{ g('x') }} {{ ', '.join(['a', 'b']) }} {{ n.bit_length() }}").render(g=Greeter(), n=5)
    assert rendered == "hi x a, b 3"


def test_a_stopiteration_is_undefined_as_in_jinja():
    def empty():
        return next(iter(()))

    with pytest.raises(jinja2.UndefinedError, match="StopIteration"):
        _env().from_string("{{ empty() }}").render(empty=empty)


@pytest.mark.parametrize("source", [
    # a macro escapes as the place it is called from says (Jinja passes it the evaluation context)
    '{% macro b(x) %}<b>{{ x }}</b>{% endmacro %}{% autoescape false %}{{ b("1 < 2") | e }}{% endautoescape %}',
    '{% set ns = namespace() %}{% autoescape false %}{% macro b(x) %}<b>{{ x }}</b>{% endmacro %}'
    '{% set ns.b = b %}{% endautoescape %}{{ ns.b("1 < 2") }}',
    '{% macro b(x) %}<b>{{ x }}</b>{% endmacro %}{{ b("1 < 2") }}',
])
def test_a_macro_is_called_as_jinja_calls_it(source):
    jinjas = jinja2.Environment(autoescape=True).from_string(source).render()
    assert _env().from_string(source).render() == jinjas
