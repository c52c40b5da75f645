"""The templates' environment (config/jinja2.py): compiled once and kept without DEBUG, read again as they
change with it."""

import tempfile

from jinja2 import DictLoader, FileSystemBytecodeCache

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
