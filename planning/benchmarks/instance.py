from dataclasses import dataclass
from typing import Literal

from planning.lns.instance import Ints, PdpInstance

Family = Literal["darp", "pdptw"]


@dataclass(frozen=True)
class BenchmarkInstance:
    """A published instance: the problem, and each node's number as written in its file."""

    problem: PdpInstance
    labels: Ints  # file node number of each node of ``problem``
    family: Family

    @property
    def name(self) -> str:
        return self.problem.name
