"""The README's front-page box carries exactly the numbers the data give (make refresh writes it)."""

from __future__ import annotations

from syria_incidents import frontpage
from syria_incidents.paths import PROJECT_ROOT


def test_readme_box_is_current() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert frontpage.START in readme and frontpage.END in readme
    assert frontpage.render_readme(readme) == readme, "the README's box is stale: run `make refresh`"


def test_box_states_what_the_record_is(valid_data) -> None:
    box = frontpage.render_box(valid_data)
    assert "**159 / 178 / 190**" not in box  # spans are written as "best (range low–high)"
    assert "178 (range 159–190) deaths" in box
    assert "the named incidents hold" in box and "of SOHR's count" in box
    assert "is not reported" in box
