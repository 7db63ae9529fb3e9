"""The ranking's documents: the decision document and one nämnd's ranking as
PDF (``pdf_content``), and the ranking tools, the forum's compilation and the
decisions as Excel (``excel``)."""
