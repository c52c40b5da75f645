from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark on a synthetic national data set (`manage.py bench`, `make bench`). It sits above
    every other app and nothing imports it."""

    name = "dsr.bench"
    label = "bench"
    verbose_name = "Benchmark"
