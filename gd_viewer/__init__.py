"""gd-viewer: a desktop app that teaches gradient descent by letting you watch it run."""

__version__ = "0.1.0"
