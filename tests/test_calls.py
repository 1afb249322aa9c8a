"""The templates' context calls macros and plain functions at once, everything else as Jinja does."""

import weakref

import jinja2
import markupsafe
import pytest
from jinja2 import runtime
from markupsafe import Markup

from dateline.core.load import load_site
from dateline.core.timeline import validate
from dateline.render import calls
from dateline.render.pages import make_env, plan, render_page


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


def _writing_env(**options) -> jinja2.Environment:
    env = jinja2.Environment(autoescape=True, **options)
    env.template_class = calls.Template
    return env


class _Html:
    def __html__(self):
        return "<i>safe</i>"


@pytest.mark.parametrize("value", ["a < b & 'c' \"d\"", Markup("<b>kept</b>"), 3, None, 1.5, _Html(),
                                   type("Sub", (str,), {})("<sub>"), ""])
def test_escape_writes_what_markupsafe_writes_as_a_string(value):
    assert calls.escape(value) == str(markupsafe.escape(value))
    assert type(calls.escape(value)) is (Markup if isinstance(value, Markup) else str)  # a Markup as it is


def test_the_pages_environment_writes_values_through_it(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.html").write_text("{{ x }}")
    env = make_env(tmp_path)
    assert env.template_class is calls.Template
    template = env.get_template("t.html")
    assert template.root_render_func.__globals__["escape"] is calls.escape
    assert template.render(x="<x>") == "&lt;x&gt;"


SOURCES = {
    "page.html": (
        '{% import "m.html" as m %}{% from "m.html" import b %}{% set s %}<s>{{ x }}</s>{% endset %}'
        "{{ s }}{{ m.b(x) }}{% call m.wrap() %}{{ x }} {{ n }}{% endcall %}"
        "{% filter upper %}{{ x }}{% endfilter %}{% autoescape false %}{{ x }}{% endautoescape %}"
        "{{ x ~ html }}{% for i in range(2) %}{{ i }}{{ html }}{% endfor %}{% include 'inc.html' %}"
        "{% block main %}{{ x }}{% endblock %}"),
    "m.html": "{% macro b(v) %}<b>{{ v }}</b>{% endmacro %}{% macro wrap() %}[{{ caller() }}]{% endmacro %}",
    "inc.html": "{{ x }}|{{ html }}",
    "child.html": '{% extends "page.html" %}{% block main %}<main>{{ super() }}{{ x }}</main>{% endblock %}',
}


@pytest.mark.parametrize("name", ["page.html", "child.html"])
def test_templates_write_what_jinja_writes(name):
    given = {"x": "1 < 2 & \"3\"", "n": 4, "html": Markup("<em>e</em>")}
    jinjas = jinja2.Environment(autoescape=True, loader=jinja2.DictLoader(SOURCES)).get_template(name).render(given)
    ours = _writing_env(loader=jinja2.DictLoader(SOURCES)).get_template(name).render(given)
    assert ours == jinjas
    assert "1 &lt; 2 &amp; &#34;3&#34;" in ours and "<em>e</em>" in ours and "1 < 2" in ours  # escaped, kept, raw


def _once_env() -> jinja2.Environment:
    env = _writing_env()
    env.context_class = calls.Context
    env.extend(once={})
    env.globals["once"] = calls.once
    return env


def test_once_makes_a_block_once_for_the_same_values():
    made = []

    def make(label):
        made.append(label)
        return label

    template = _once_env().from_string(
        "{% for s in items %}{% call once(s, 'k') %}<b>{{ make(s.name) }}</b>{% endcall %}{% endfor %}"
        "{% call once(items[0], 'k') %}another block{% endcall %}")
    first, second = {"name": "a&b"}, {"name": "a&b"}  # equal, but two objects
    rendered = template.render(items=[first, second, first, first], make=make)
    # made once for `first`, once for `second` (equal, but another object), the second block apart;
    # the block's HTML is written as it is, not escaped again
    assert rendered == "<b>a&amp;b</b>" * 4 + "another block"
    assert made == ["a&b", "a&b"]


def test_once_compares_strings_by_value_and_keeps_what_it_compares_by_identity():
    env = _once_env()
    template = env.from_string("{% call once(key, thing) %}{{ thing.n }}{% endcall %}")

    class Thing:
        def __init__(self, n):
            self.n = n

    thing = Thing(1)
    kept = weakref.ref(thing)
    assert template.render(key="".join(["r", "oot"]), thing=thing) == "1"
    assert template.render(key="root", thing=thing) == "1"
    assert len(env.once) == 1
    del thing
    assert kept() is not None  # its id is never another object's while the block is kept
    assert template.render(key="root", thing=Thing(2)) == "2"


def test_a_new_environment_starts_without_blocks(tmp_path):
    assert make_env(tmp_path).once == {} and make_env(tmp_path).once is not make_env(tmp_path).once


def test_once_tells_true_from_one():
    template = _once_env().from_string("{% for v in [1, True, 1] %}{% call once(v) %}{{ v }}{% endcall %} {% endfor %}")
    assert template.render() == "1 True 1 "


def test_the_theme_writes_each_sources_reference_once_a_build(fixture_site):
    """The theme's source_ref, on every page that cites a source, is made once a source: on the
    term pages' endnotes and the event pages' notes alike, the same HTML."""
    timeline, _ = validate(load_site(fixture_site))
    env = make_env(fixture_site)
    pages = [p for p in plan(timeline) if p.template in ("term.html", "event.html")]
    html = b"".join(render_page(env, timeline, page) for page in pages)
    made = {keys[0].id: block for _, keys, block in env.once.values()}
    assert set(made) == {note.source.id for event in timeline.events for note in event.notes}
    for block in made.values():
        assert html.count(block.encode()) > 1


def test_once_tells_alike_blocks_of_two_templates_apart():
    """Two templates' blocks compile to equal code objects when they differ only in the macros they
    call: each keeps its own HTML."""
    block = "{% call once(x) %}{{ fmt(x) }}{% endcall %}"
    env = _once_env()
    env.loader = jinja2.DictLoader({"a.html": "{% macro fmt(v) %}<b>{{ v }}</b>{% endmacro %}" + block,
                                    "b.html": "{% macro fmt(v) %}<i>{{ v }}</i>{% endmacro %}" + block})
    assert env.get_template("a.html").render(x="s") == "<b>s</b>"
    assert env.get_template("b.html").render(x="s") == "<i>s</i>"
