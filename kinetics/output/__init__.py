"""Output: :mod:`kinetics.output.results` (results.json, VTX fields) and
:mod:`kinetics.output.grid` (gathered PyVista grids, ``.vtu`` files, atomic writes)."""
