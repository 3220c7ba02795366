"""MkDocs hook: serve the iframe-worker shim from the site itself in the offline build.

Material's offline plugin makes search work from file:// by loading the
iframe-worker shim, but it points at https://unpkg.com. The offline zip must
not fetch anything from the network, so when the plugin is enabled this hook
registers a local copy (from node_modules, installed by `npm ci`) before the
plugin looks: the plugin adds its unpkg URL only if no polyfill mentions
"iframe-worker".

It also clears site_url in the offline build: a copy opened from disk has no
host, so canonical links and the sitemap would only point somewhere else.
"""
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

SHIM_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "iframe-worker" / "shim" / "index.js"
SHIM_DEST = "assets/javascripts/iframe-worker-shim.js"


def _offline_enabled(config) -> bool:
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin and plugin.config.enabled)


@event_priority(100)  # before the offline plugin's on_config
def on_config(config):
    if not _offline_enabled(config):
        return config
    if not SHIM_SOURCE.is_file():
        raise PluginError(f"{SHIM_SOURCE}: missing; run `npm ci` (or `make site`) before an offline build")
    config.site_url = None
    polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
    config.extra["polyfills"] = polyfills + [SHIM_DEST]
    return config


def on_files(files, config):
    if _offline_enabled(config):
        files.append(File.generated(config, SHIM_DEST, abs_src_path=str(SHIM_SOURCE)))
    return files
