"""Build the offline HTML copy and zip it.

    python -m website.build_offline [--build-dir build/offline] [--zip dist/cervical-insufficiency-offline.zip] [--site site]

The zip holds one folder; after unzipping, open its index.html from the file
system. Pages that only make sense on a web server (the 404 page and the
sitemap) are left out. The PDFs already in the zip's folder (dist/, made by
`make pdf`) go into the copy, listed on its Print and offline page; with --site,
the zip is then offered on the hosted site too (website.downloads).
"""
import argparse
import zipfile
from pathlib import Path

from website import downloads
from website.sitebuild import ROOT, mkdocs_build

NAME = "cervical-insufficiency"
ZIP_FOLDER = f"{NAME}-offline"
SERVER_ONLY = {"404.html", "sitemap.xml", "sitemap.xml.gz"}


def build(build_dir: Path) -> Path:
    mkdocs_build(build_dir, offline=True)
    return build_dir


def make_zip(site_dir: Path, zip_path: Path) -> Path:
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(site_dir.rglob("*")):
            rel = path.relative_to(site_dir).as_posix()
            if path.is_file() and rel not in SERVER_ONLY:
                zf.write(path, f"{ZIP_FOLDER}/{rel}")
    return zip_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build" / "offline")
    parser.add_argument("--zip", type=Path, default=ROOT / "dist" / f"{ZIP_FOLDER}.zip")
    parser.add_argument("--site", type=Path, help="the hosted site's build, to offer the zip on (optional)")
    args = parser.parse_args()
    built = build(args.build_dir)
    downloads.publish(built, args.zip.parent, [f for f, _, _ in downloads.FILES if f.endswith(".pdf")])
    make_zip(built, args.zip)
    print(f"wrote {args.zip.relative_to(ROOT) if args.zip.is_relative_to(ROOT) else args.zip}")
    if args.site:
        downloads.publish(args.site, args.zip.parent, [args.zip.name])
        print(f"wrote {args.site / downloads.FOLDER / args.zip.name}")


if __name__ == "__main__":
    main()
