"""The templates' environment (config/jinja2.py): compiled once and kept without DEBUG, read again as they
change with it."""

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
