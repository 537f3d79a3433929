"""Voice of the customer: feedback items, their sentiment and topics (the Django app comes later).

``voice.analysis`` is the offline text-analysis engine; it imports neither Django nor anything that
reaches the network, and its data come from pip packages or from ``voice/analysis/data``.
"""
