"""The Qt layer of gd-viewer."""
