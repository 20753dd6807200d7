# kinetics: the two commands of the README, and helpers.
# Every target runs inside the project environment (docker/env): the host's dolfinx if it
# has dolfinx >= 0.9, otherwise a cached Debian trixie root filesystem built on first use.

ENV    := docker/env run --
NP     ?= 2
PYTEST := python3 -m pytest -q -p no:cacheprovider

.PHONY: demo test test-serial test-mpi bench docs notebooks shell env clean-env

## make demo: the main demo (Pt Hall bar on YIG, SMR) on 2 MPI ranks; results in results/pt_yig_smr/
demo:
	$(ENV) mpirun -n $(NP) python3 demos/pt_yig_smr.py -o results/pt_yig_smr

## make test: serial tests, then the MPI-marked tests on 2 ranks
test: test-serial test-mpi

test-serial:
	$(ENV) $(PYTEST) tests

test-mpi:
	$(ENV) mpirun -n $(NP) $(PYTEST) -m mpi tests

## make bench: the solver benchmarks (issue 7), about 5 minutes; writes benchmarks/RESULTS.md
## and benchmarks/results.png (make bench ARGS=--quick: about 1 minute)
bench:
	$(ENV) python3 benchmarks/run.py $(ARGS)

## make docs: the API reference from the docstrings (Sphinx + numpydoc; warnings are errors,
## as in tests/test_docs.py) in docs/api/_build/html/index.html
docs:
	$(ENV) python3 -m sphinx -W --keep-going -q -b html docs/api docs/api/_build/html

## make notebooks: every demo as a Jupyter notebook in results/notebooks/ (jupytext); open them
## in JupyterLab, or run one: jupyter nbconvert --to notebook --execute FILE.ipynb
notebooks:
	mkdir -p results/notebooks
	$(ENV) sh -c 'for f in demos/*.py; do python3 -m jupytext -q --to ipynb \
	    -o results/notebooks/$$(basename $$f .py).ipynb $$f || exit 1; done'

## make shell: an interactive shell in the environment
shell:
	docker/env shell

env:
	docker/env build

clean-env:
	docker/env clean
