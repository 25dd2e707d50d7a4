"""DeBoP: Direct Behavior Optimization (ACL 2025 Findings, arXiv 2506.06401).

The small model writes plans, executes them, and a Monte Carlo Tree Search rewrites the
best demonstrations with six operators; the winner becomes a one-shot demonstration.
See docs/method.md for what follows the paper and what was chosen here.
"""
