"""The reconciliation engine: archive + data -> load -> verify -> compare -> findings.

Each module has one job:

- ``model``    plain dataclasses (Source, Topic, Claim, Resolution, Finding, ...)
- ``yamlfile`` YAML with line numbers, and the one error type for bad input
- ``load``     data folder -> validated ``Project``
- ``cache``    the parse cache (build/.cache/parse): unchanged files are not parsed again
- ``record``   data/verified.lock: which quotes verified, where and when, for builds without the archive
- ``quotes``   text folding and quote verification against the archive
- ``compare``  one comparison rule per value kind; classifies each topic
- ``render``   findings -> text, JSON, Markdown, CSV
"""
