"""The web app: a Gradio page (chat, clause lookup, calculators) and a REST API on one port.

Gradio's analytics are switched off here, before any module of this package imports gradio.
"""

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

__all__: list[str] = []
