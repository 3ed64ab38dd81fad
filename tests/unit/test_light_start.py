"""A new process pays only for what it uses: each command (`coordination ...`) is one.

Each check runs in a fresh interpreter, since this one has loaded everything already.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IATI = ROOT / "tests" / "data" / "real" / "iati"


def _run(code: str, tmp_path: Path) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"COORDINATION_INSTANCE": str(tmp_path), "PATH": "/usr/bin:/bin"}, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_an_app_for_a_command_neither_loads_the_map_library_nor_hashes_a_password(tmp_path):
    out = _run(
        "import sys\n"
        "from api import create_app\n"
        f"app = create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/x.sqlite', 'SECRET_KEY': 'x'}})\n"
        "from coordination.services import accounts\n"
        "print('folium' in sys.modules, accounts.dummy_hash.cache_info().currsize)\n", tmp_path)
    assert out == "False 0"


def test_the_dummy_hash_is_one_argon2_hash_made_once(tmp_path):
    out = _run(
        "from coordination.services import accounts\n"
        "first = accounts.dummy_hash()\n"
        "print(first is accounts.dummy_hash(), first.startswith('$argon2'),"
        " accounts.PASSWORDS.verify(first, 'not a real password'))\n", tmp_path)
    assert out == "True True True"


def test_iati_locations_without_admin_codes_do_not_load_the_p_code_table(tmp_path):
    """The p-code table (~33,000 areas) is read only for a location that names an area."""
    out = _run(
        "from coordination.formats import parse_iati, pcodes\n"
        f"items = list(parse_iati({str(IATI / 'dportal_86_excerpt.xml')!r}))\n"
        "located = sum(1 for i in items if i.record and i.record['locations'])\n"
        "before = pcodes._index.cache_info().currsize\n"
        "found = pcodes.resolve_codes('AF01', None)\n"
        "print(located > 0, before, pcodes._index.cache_info().currsize, found['admin1'])\n", tmp_path)
    assert out == "True 0 1 Kabul"
