"""The `syria-incidents` command line (also `python -m syria_incidents`)."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from .paths import DATA_DIR, NOTEBOOKS_DIR


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate_data

    try:
        problems = validate_data(Path(args.data))
    except Exception as err:  # a bug of ours must still not surface as a traceback to curators
        print(f"{args.data}:1:*: validation stopped by an internal error: {err!r}")
        return 1
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found", file=sys.stderr)
        return 1
    print(f"{args.data}: all tables valid", file=sys.stderr)
    return 0


def cmd_derive(args: argparse.Namespace) -> int:
    """Recompute the derived columns from the claims, after checking that the inputs are valid."""
    from .curation import derive_tables, is_input_problem
    from .validate import check_data

    problems, checked = check_data(Path(args.data))
    blocking = [p for p in problems if is_input_problem(p)]
    if blocking:
        for problem in blocking:
            print(problem)
        print(f"derive stopped: {len(blocking)} problem(s) in the inputs; nothing was written", file=sys.stderr)
        return 1
    changed = derive_tables(Path(args.data), checked)
    print(", ".join(f"{name}: {n} row{'s' if n != 1 else ''} updated" for name, n in changed.items()), file=sys.stderr)
    return 0


def cmd_format(args: argparse.Namespace) -> int:
    """Rewrite the tables in their canonical form (what a spreadsheet changed, undone)."""
    from .curation import format_tables

    changed, stopped = format_tables(Path(args.data))
    for problem in stopped:
        print(problem)
    print(f"{len(changed)} file(s) rewritten" + (": " + ", ".join(changed) if changed else ""), file=sys.stderr)
    if stopped:
        print("some files were left as they are: fix the problems above by hand", file=sys.stderr)
    return 1 if stopped else 0


def cmd_export(args: argparse.Namespace) -> int:
    from .interop import FORMATS, export_record
    from .load import load_tables

    if args.format not in FORMATS:
        print(f"export: FORMAT must be one of {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    for path in export_record(load_tables(Path(args.data)), args.format, Path(args.out), Path(args.data)):
        print(path)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .interop import import_events
    from .validate import validate_data

    path = Path(args.file)
    if not path.is_file():
        print(f"import: {path} is not a file", file=sys.stderr)
        return 2
    try:
        unmapped = import_events(args.kind, path, Path(args.out))
    except ValueError as err:
        print(f"import: {err}", file=sys.stderr)
        return 2
    for problem in unmapped:
        print(f"{path.name}:{problem.line}: not imported: {problem.reason}")
    problems = validate_data(Path(args.out))
    for problem in problems:
        print(problem)
    print(f"{args.out}: dataset written; {len(unmapped)} row(s) not mapped (see import-report.csv); "
          + ("it validates" if not problems else f"{len(problems)} validation problem(s)"), file=sys.stderr)
    return 1 if problems else 0


def cmd_codebook(args: argparse.Namespace) -> int:
    from .codebook import update_codebook

    changed = update_codebook(Path(args.data))
    print("data/README.md " + ("updated" if changed else "already current"), file=sys.stderr)
    return 0


def cmd_place(args: argparse.Namespace) -> int:
    from . import gazetteer

    if args.limit < 1:
        print("place: --limit must be a whole number of at least 1", file=sys.stderr)
        return 2
    if args.admin1 and not re.fullmatch(r"SY(0[1-9]|1[0-4])", args.admin1):
        print(f"place: --admin1 must be a governorate P-code, SY01 to SY14 (not {args.admin1!r})", file=sys.stderr)
        return 2
    matches = gazetteer.lookup(" ".join(args.name), admin1_pcode=args.admin1, limit=args.limit)
    if not matches:
        print(f"no place in the Syrian gazetteer matches {' '.join(args.name)!r} closely enough", file=sys.stderr)
        return 1
    print(gazetteer.format_matches(matches))
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    from .paths import PROJECT_ROOT
    from .runner import refresh

    if args.out:
        out = Path(args.out)
        if out.resolve() == PROJECT_ROOT.resolve():
            print("refresh: --out must be a folder of its own, not the project", file=sys.stderr)
            return 2
        return refresh(args.notebooks, force=args.force, data_dir=Path(args.data),
                       output_notebooks_dir=out / "notebooks", figures_dir=out / "figures", tables_dir=out / "tables",
                       site_dir=out / "site", root=out, readme=None, workers=args.workers)
    if Path(args.data).resolve() != DATA_DIR.resolve():
        print("refresh: --data needs --out (the committed notebooks and figures are the project's own data's)",
              file=sys.stderr)
        return 2
    code = refresh(args.notebooks, force=args.force, data_dir=Path(args.data), root=PROJECT_ROOT,
                   readme=PROJECT_ROOT / "README.md", workers=args.workers)
    if code == 0:
        refresh_exports(Path(args.data), PROJECT_ROOT / "exports")
    return code


def refresh_exports(data_dir: Path, out: Path) -> None:
    """Rebuild exports/ (git-ignored) when the data or the package changed since it was built."""
    from .interop import export_all
    from .runner import shared_inputs_hash

    stamp = out / ".stamp"
    digest = shared_inputs_hash(data_dir)
    if stamp.exists() and stamp.read_text(encoding="utf-8") == digest:
        return
    written = export_all(out, data_dir)
    stamp.write_text(digest, encoding="utf-8")
    print(f"exports: {len(written)} file(s) in {out} (acled, ucdp, geojson, gpkg, hxl)", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="syria-incidents", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check every table against the codebook; exit 1 on any problem")
    p.add_argument("--data", default=str(DATA_DIR), help="data folder (default: the project's data/)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("derive", help="recompute incidents' low/best/high and victim split from the claims")
    p.add_argument("--data", default=str(DATA_DIR))
    p.set_defaults(func=cmd_derive)

    p = sub.add_parser("format", help="rewrite the tables canonically (sorted, UTF-8, \\n line ends, no stray spaces)")
    p.add_argument("--data", default=str(DATA_DIR))
    p.set_defaults(func=cmd_format)

    p = sub.add_parser("export", help="the active record as acled, ucdp, geojson, gpkg or hxl")
    p.add_argument("format", help="acled | ucdp | geojson | gpkg | hxl")
    p.add_argument("--out", default="exports", help="folder to write into (default: exports/)")
    p.add_argument("--data", default=str(DATA_DIR))
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="an ACLED or UCDP GED export turned into a dataset in our schema")
    p.add_argument("kind", choices=["acled", "ucdp"])
    p.add_argument("file")
    p.add_argument("--out", required=True, help="folder for the new dataset")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("codebook", help="regenerate the field tables of data/README.md from datapackage.json")
    p.add_argument("--data", default=str(DATA_DIR))
    p.set_defaults(func=cmd_codebook)

    p = sub.add_parser("refresh", help="validate, execute the notebooks, export figures, build site/")
    p.add_argument("notebooks", nargs="*", help=f"notebooks to run (default: all in {NOTEBOOKS_DIR.name}/)")
    p.add_argument("--force", action="store_true", help="run notebooks even when their inputs are unchanged")
    p.add_argument("--data", default=str(DATA_DIR), help="run the notebooks on another dataset in our schema (needs --out)")
    p.add_argument("--out", help="write notebooks, figures, tables and site under this folder (with --data)")
    p.add_argument("--workers", type=int, default=None, help="notebooks run at once (default: one per core)")
    p.set_defaults(func=cmd_refresh)

    p = sub.add_parser("place", help="look a place name up in the gazetteer (English or Arabic)")
    p.add_argument("name", nargs="+")
    p.add_argument("--admin1", help="only this governorate (P-code, e.g. SY06)")
    p.add_argument("--limit", type=int, default=10)
    p.set_defaults(func=cmd_place)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # e.g. `syria-incidents place Homs | head -1`: the reader left, exit quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
