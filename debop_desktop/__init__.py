"""DeBoP Desktop: make a small local language model good at one person's task."""

__version__ = "0.1.0"
APP_NAME = "DeBoP Desktop"
