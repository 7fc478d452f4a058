"""The preview server (`counterpoint serve`): build, serve the output, rebuild on change, reload the browser.

- `rebuild`: the command: the first build, the rebuild loop, signals.
- `watch`: which changes rebuild, and the threads that notice them.
- `listen`: accepting connections and reading requests, within fixed limits.
- `http`: answering one request: allowed hosts, which file a path names, the response.
- `stream`: the live-reload event streams, all served by one thread.
- `reload.js`: the script the served pages run.
"""

from .rebuild import serve

__all__ = ["serve"]
