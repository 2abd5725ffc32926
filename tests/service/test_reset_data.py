"""`make reset-data` deletes the embedded store's directory, never while a process has it open."""

from devtools.reset_data import reset
from infra.embedded import EmbeddedClient


def test_a_directory_in_use_is_kept_and_deleted_once_released(tmp_path, capsys):
    data_dir = tmp_path / "data"
    client = EmbeddedClient(data_dir)
    client["intake"]["opinions"].insert_one({"_id": "kept"})
    client["routing"]["cases"].insert_one({"_id": "kept"})

    assert reset(data_dir) == 1
    assert "in use" in capsys.readouterr().err
    assert client["intake"]["opinions"].find_one({"_id": "kept"}) is not None
    assert (data_dir / "intake.sqlite3").exists()

    client.close()
    assert reset(data_dir) == 0
    listed = capsys.readouterr().out
    assert "intake.sqlite3" in listed and "routing.sqlite3.lock" in listed
    assert not data_dir.exists()
    assert reset(data_dir) == 0


def test_a_directory_with_other_files_is_refused(tmp_path, capsys):
    client = EmbeddedClient(tmp_path)
    client["intake"]["opinions"].insert_one({"_id": "kept"})
    client.close()
    (tmp_path / "notes.txt").write_text("not the store's")

    assert reset(tmp_path) == 1
    assert "notes.txt" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").exists() and (tmp_path / "intake.sqlite3").exists()
