"""The plot panes: pyqtgraph widgets with setters in and Qt signals out.

They draw what they are given and know nothing of each other or of the controller.
"""

from gd_viewer.gui.panes.cost_history import CostHistoryPane
from gd_viewer.gui.panes.data_fit import DataFitPane
from gd_viewer.gui.panes.loss_curve import LossCurvePane

__all__ = ["CostHistoryPane", "DataFitPane", "LossCurvePane"]
