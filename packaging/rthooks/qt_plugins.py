"""Run-time hook (Linux): tell Qt where its plugins are, without importing Qt.

It stands in for PyInstaller's PySide6 hook, which imports QtCore at every start only to check a ``qt.conf`` that
the PySide6 wheels already provide: 0.15 s of CPU lost by every ``caseapp`` command that never shows a window.
"""

import os
import sys

os.environ["QT_PLUGIN_PATH"] = os.path.join(sys._MEIPASS, "PySide6", "Qt", "plugins")
