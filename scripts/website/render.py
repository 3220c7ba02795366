"""The rendered site: every page as this project's hooks and Markdown leave it, in a folder that any
builder reading `mkdocs.yml` and Markdown builds without running this project's code.

    python -m website.render [--out build/rendered]      (make render)

OUT/docs/       every page, the generated ones included (disagreements, guidance, one per source), as
                its HTML under its own front matter, with the pages' assets and the exports
OUT/overrides/  the theme's templates (the disclaimer, the review dates, the footer)
OUT/mkdocs.yml  the project's configuration with no hooks, the nav and site description the hooks
                made, and no snippets (they are already in the pages)

MkDocs and ProperDocs build the project itself (hooks and all); Zensical, which runs no hooks, builds
this folder (`make zensical`). The capture is the same one the benchmark's plain build uses.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import yaml

from reconcile.atomic import write_atomic
from website.sitebuild import ROOT, mkdocs_build

# A hook added after the project's own: it writes each page's content as the hooks and Markdown left
# it, under the page's front matter, and the nav and site description the hooks' on_config made.
CAPTURE_HOOK = '''
import json
from pathlib import Path

import yaml
from mkdocs.plugins import event_priority

HTML, CONFIG = Path({html!r}), Path({config!r})
SKIP = {{"print_page.md"}}  # made by the print-site plugin in every build


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@event_priority(-1000)
def on_config(config):
    write(CONFIG, json.dumps({{"nav": config.nav, "site_description": config.site_description}}))
    return config


@event_priority(-1000)
def on_page_content(html, page, **kwargs):
    if page.file.src_uri not in SKIP:
        meta = {{k: str(v) if isinstance(v, str) else v for k, v in page.meta.items()}}
        front = "---\\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\\n\\n"
        write(HTML / page.file.src_uri, front + '<div markdown="0">\\n' + html + "\\n</div>\\n")
'''
HOOKS = ["scripts/website/hooks.py", "scripts/website/offline_shim.py", "scripts/website/print_anchors.py"]


def capture(tmp: Path, root: Path = ROOT) -> tuple[Path, dict, Path]:
    """Build the site once with the capture hook: (the captured pages beside the docs' assets, the made
    config, the built site)."""
    pages, made, site = tmp / "captured", tmp / "captured-config.json", tmp / "capture-site"
    hook = tmp / "capture_hook.py"
    hook.write_text(CAPTURE_HOOK.format(html=str(pages), config=str(made)), encoding="utf-8")
    config = variant_config(tmp, root, "capture", hooks=json.dumps([*HOOKS, str(hook)]))
    try:
        mkdocs_build(site, config=config)
    finally:
        config.unlink(missing_ok=True)
    copy_assets(root / "docs", pages)
    return pages, json.loads(made.read_text(encoding="utf-8")), site


def variant_config(tmp: Path, root: Path, name: str, **settings) -> Path:
    """A config that inherits mkdocs.yml; it lives in the project root so relative paths still hold."""
    path = root / f".bench-{tmp.name}-{name}.yml"
    lines = ["INHERIT: mkdocs.yml"] + [f"{k}: {v}" for k, v in settings.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def without_tags(page: Path) -> None:
    """A page's `tags:` are search words for Material's search; Zensical shows them on the page."""
    text = page.read_text(encoding="utf-8")
    end = text.find("\n---\n", 4)
    meta = yaml.safe_load(text[4:end]) or {}
    if meta.pop("tags", None) is not None:
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) if meta else ""
        page.write_text("---\n" + front + text[end + 1:], encoding="utf-8")


def copy_assets(docs: Path, dest: Path) -> None:
    """Everything in docs/ that is not a page (stylesheets, pictures)."""
    for asset in docs.rglob("*"):
        if asset.is_file() and asset.suffix != ".md":
            target = dest / asset.relative_to(docs)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(asset, target)


# mkdocs.yml read and written again with its !ENV tags kept (SITE_URL, OFFLINE stay switches).
class _Env(list):
    pass


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Loader.add_constructor("!ENV", lambda loader, node: _Env(loader.construct_sequence(node))
                        if isinstance(node, yaml.SequenceNode) else _Env([loader.construct_scalar(node)]))
_Dumper.add_representer(_Env, lambda dumper, value: dumper.represent_sequence("!ENV", list(value), flow_style=True))


def rendered_config(mkdocs_yml: Path, made: dict) -> str:
    config = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_Loader)
    config.pop("hooks", None)
    config["docs_dir"] = "docs"
    config["nav"] = made["nav"]
    config["site_description"] = made["site_description"]
    config["theme"]["custom_dir"] = "overrides"
    config["markdown_extensions"] = [e for e in config.get("markdown_extensions", [])
                                     if not (isinstance(e, dict) and "pymdownx.snippets" in e)
                                     and e != "pymdownx.snippets"]
    head = "# Made by `make render` (scripts/website/render.py) from the project's mkdocs.yml: do not edit.\n"
    return head + yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


def render(out: Path, root: Path = ROOT) -> Path:
    """Write the rendered site to `out` (replaced whole: made beside it, then renamed into place)."""
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".render-", dir=out.parent) as name:
        tmp = Path(name)
        pages, made, site = capture(tmp, root)
        folder = tmp / "rendered"
        shutil.copytree(pages, folder / "docs")
        for page in (folder / "docs").rglob("*.md"):
            without_tags(page)
        shutil.copytree(site / "exports", folder / "docs" / "exports")
        shutil.copytree(root / "overrides", folder / "overrides")
        write_atomic(folder / "mkdocs.yml", rendered_config(root / "mkdocs.yml", made))
        old = tmp / "old"
        if out.exists():
            out.rename(old)
        folder.rename(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "rendered")
    args = parser.parse_args(argv)
    out = render(args.out)
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
