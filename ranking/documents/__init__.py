"""The documents a round is handed on in: the PDF decision document and the
Excel exports, generated in the background (see ``tasks``) and kept with the
round as :class:`ranking.models.Document` records."""
