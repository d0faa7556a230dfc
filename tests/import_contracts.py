"""An import-linter contract of our own: no module imports itself back, by any path.

import-linter's layers and acyclic_siblings contracts judge packages; this one judges
modules, across every root package, imports inside functions included: an import
deferred into a function to break a circle is still a circle (`make lint`, pyproject.toml).
"""

from __future__ import annotations

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain.contract import Contract, ContractCheck


class AcyclicModulesContract(Contract):
    type_name = "acyclic_modules"

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        cycles: set[tuple[str, ...]] = set()
        for importer in sorted(graph.modules):
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                back = graph.find_shortest_chain(importer=imported, imported=importer)
                if back is not None:
                    cycles.add(_starting_at_its_least(back))
        return ContractCheck(kept=not cycles, metadata={"cycles": sorted(cycles)})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error(" -> ".join((*cycle, cycle[0])))
            output.new_line()


def _starting_at_its_least(chain: tuple[str, ...]) -> tuple[str, ...]:
    """The modules of a cycle from its alphabetically first, so that each is listed once."""
    start = chain.index(min(chain))
    return chain[start:] + chain[:start]
