"""``python -m twin.cli``: the ``twin`` command (:func:`twin.cli.process.entry`)."""

from twin.cli.process import entry

entry()
