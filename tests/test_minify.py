"""Our published JS and CSS leave their comments out (cahier/minify.py), and nothing else."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from sphinx_cahier.assets import OWN_STATIC
from sphinx_cahier.minify import strip_css, strip_js

SCRIPTS = sorted(OWN_STATIC.glob("*.js"))
NODE = shutil.which("node")


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_a_stripped_module_is_the_same_code(path, tmp_path):
    source = path.read_text(encoding="utf-8")
    stripped = strip_js(source)
    assert len(stripped) < len(source)
    assert "@param" not in stripped and "/**" not in stripped and "@ts-check" not in stripped
    # Every line left is a line of the source, less its comments: nothing rewritten.
    lines = [squeeze(re.sub(r"/\*.*?\*/", "", line)) for line in source.splitlines()]
    for line in stripped.splitlines():
        assert any(squeeze(line) in original for original in lines), line
    # Still a valid ES module.
    assert NODE, "node is needed (scripts/setup.sh --test installs it)"
    copy = tmp_path / f"{path.stem}.mjs"
    copy.write_text(stripped, encoding="utf-8")
    result = subprocess.run([NODE, "--check", str(copy)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_comments_are_told_from_literals():
    source = (
        "const a = '// not a comment'; // a comment\n"
        'const b = "/* not either */";\n'
        "/** a doc comment\n * over lines */\n"
        "const c = `x ${a /* inner */ + `// ${b}`} /* kept */\n\n  text`;\n"
        "const d = /[/'\"`]+/g.test(a) ? 1 : 2 / 3; // slash\n"
        "const e = x.replace(/\\/\\*/, ''); /* end */\n"
    )
    assert strip_js(source) == (
        "const a = '// not a comment';\n"
        'const b = "/* not either */";\n'
        "const c = `x ${a  + `// ${b}`} /* kept */\n\n  text`;\n"
        "const d = /[/'\"`]+/g.test(a) ? 1 : 2 / 3;\n"
        "const e = x.replace(/\\/\\*/, '');\n"
    )


def test_stylesheets_lose_their_comments_only():
    source = "/* why */\n.a {\n  color: red; /* note */\n  background: url('x.svg');\n}\n\n"
    assert strip_css(source) == ".a {\n  color: red;\n  background: url('x.svg');\n}\n"
