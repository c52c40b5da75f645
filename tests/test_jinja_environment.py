"""The templates' environment (config/jinja2.py): compiled once and kept without DEBUG, read again as they
change with it."""

import tempfile

from jinja2 import DictLoader, FileSystemBytecodeCache
from markupsafe import Markup

from config.jinja2 import environment


def test_without_debug_compiled_templates_are_kept_on_disk_for_workers_started_later():
    env = environment(loader=DictLoader({}), auto_reload=False)
    assert not env.auto_reload
    assert isinstance(env.bytecode_cache, FileSystemBytecodeCache)


def test_with_debug_a_changed_template_is_compiled_again_and_nothing_is_kept_on_disk():
    env = environment(loader=DictLoader({}), auto_reload=True)
    assert env.auto_reload
    assert env.bytecode_cache is None


def test_without_a_writable_temporary_directory_each_worker_compiles_for_itself(monkeypatch, tmp_path):
    not_a_directory = tmp_path / "a-file"
    not_a_directory.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(not_a_directory))
    env = environment(loader=DictLoader({"page": "{{ 1 + 1 }}"}), auto_reload=False)
    assert env.bytecode_cache is None
    assert env.get_template("page").render() == "2"


def test_a_remembered_component_is_the_html_its_macro_makes_of_the_same_parameters():
    """Text that is already HTML is not escaped by the macro, so it is never mistaken for plain text that
    reads the same; a change to any parameter makes the component again."""
    env = environment(loader=DictLoader({}), auto_reload=False)
    page = env.from_string(
        '{% from "nhsuk/components/select/macro.jinja" import select %}'
        "{{ remembered(select, p) }}|{{ select(p) }}"
    )

    def params(label, chosen: str) -> dict:
        items = [{"value": v, "text": v.title(), "selected": v == chosen} for v in ("a", "b")]
        return {"id": "k", "name": "k", "label": {"text": label}, "items": items}

    for label, chosen in [("<b>Kw</b>", "a"), (Markup("<b>Kw</b>"), "a"), ("<b>Kw</b>", "b")]:
        remembered, made = page.render(p=params(label, chosen)).split("|")
        assert remembered == made
    assert "&lt;b&gt;Kw" in page.render(p=params("<b>Kw</b>", "a"))
    assert "<b>Kw</b>" in page.render(p=params(Markup("<b>Kw</b>"), "a"))


def test_only_a_select_that_names_no_one_is_kept_by_the_worker():
    """A select of a person's admissions (say) is made for its page and nothing of it stays in the worker;
    the keyworker filter's is kept for the next page."""
    from django import forms
    from django.template import engines

    from dsr import design_system

    class Choices(forms.Form):
        keyworker = forms.ChoiceField(choices=[("1", "Sam Okafor")], widget=design_system.KeptSelect)
        admission = forms.ChoiceField(choices=[("7", "Goodmayes Hospital, admitted 3 March 2026")])

    page = engines["jinja2"].env.from_string(
        '{% from "includes/fields.jinja" import render_field %}{{ render_field(f.keyworker) }}'
        "{{ render_field(f.admission) }}"
    )
    html = page.render(f=Choices())
    assert "Sam Okafor" in html and "Goodmayes Hospital" in html
    kept = "".join(design_system._remembered.values())
    assert "Sam Okafor" in kept
    assert "Goodmayes" not in kept
