"""MkDocs hooks (temporary scaffold: generated pages; replaced by the engine-backed hooks)."""
from mkdocs.structure.files import File

GENERATED = ["disagreements.md", "guidance.md", "sources/index.md"] + [f"sources/{i:03d}.md" for i in range(5)]


def on_files(files, config):
    for path in GENERATED:
        files.append(File.generated(config, path, content=f"# {path}\n\nGenerated page.\n"))
    return files
