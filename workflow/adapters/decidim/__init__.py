"""Read the proposals Decidim exports (``cocrea import decidim``), and nothing else of it.

A pure reader (the standard library's ``csv``, ``zipfile`` and ``json``): bytes,
a file name and the plan's language in, :class:`DecidimProposal` records out,
streamed. It reads what Decidim itself writes (the formats are in
``tests/fixtures/decidim/README.md``): the open-data ZIP or its proposals CSV,
an admin export as CSV or JSON; CSV with ``;`` or ``,``; the columns of 0.26 to
0.30+, told apart by the header. Every problem of a file is named with its line
(and column) in one :class:`~workflow.domain.errors.ImportRejected`; limits keep
hostile files cheap (:mod:`.limits`). Which proposals an import leaves out is
the caller's decision, helped by :func:`skip_reason`.

    export = read_export(data, "participa.cuenca.gob.ec-open-data.zip", "es")
    for proposal in export:           # raises ImportRejected at the end if a row is bad
        ...
"""

from workflow.adapters.decidim.limits import LIMITS, Limits
from workflow.adapters.decidim.reader import DecidimExport, read_export
from workflow.adapters.decidim.records import DecidimProposal, Generation, Skip, skip_reason

__all__ = ["LIMITS", "DecidimExport", "DecidimProposal", "Generation", "Limits", "Skip",
           "read_export", "skip_reason"]
