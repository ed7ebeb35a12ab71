"""The static files collect as ``./yv start`` collects them: with the hashed manifest storage,
which refuses a file that refers to another one not shipped (a vendored script's source map)."""

from django.core.management import call_command
from django.test import override_settings


def test_static_files_collect_with_the_manifest_storage(db, tmp_path, settings):
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", "--noinput", verbosity=0)
    assert list(tmp_path.glob("vendor/chartjs/chart.umd.min.*.js"))
    assert (tmp_path / "staticfiles.json").exists()
