"""Output: :mod:`kinetics.output.results` (results.json, VTX fields),
:mod:`kinetics.output.grid` (gathered PyVista grids, ``.vtu`` files, atomic writes) and
:mod:`kinetics.output.vtu` (the ``.vtu`` beside a ``.bp``, which ``kinetics plot`` reads)."""
