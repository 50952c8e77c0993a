"""The paper's workloads written as a NumPy user writes them, each decorated with
``@larix.kernel``: ``f(...)`` runs on Larix, ``f.python(...)`` is the same function run by NumPy.

- :mod:`larix.examples.lra`: binary logistic regression by gradient descent (the paper's LRA).
- :mod:`larix.examples.als`: implicit-feedback alternating least squares (Hu, Koren, Volinsky),
  in the paper's formulation (dense ``C_u = np.diag(c_u)``) and the efficient one.
- :mod:`larix.examples.kmeans`: Lloyd's k-means from given initial centroids.

Import the functions from their modules: ``from larix.examples.lra import lra``.
"""
