"""The document machinery: a round's PDFs and Excel exports, asked for, made
in the background and kept in versions — knowing no app's content.

- ``generate``: the queue (a request makes the next version of a kind and
  scope, or finds the one on its way), the background task and its run
  (progress, attempts, stale runs run again), the file's name;
- ``pdf``: the renderer (WeasyPrint, parts laid out in separate processes)
  and the joiner (qpdf), with the parts cache; ``print*.css`` its style sheets;
- ``markup`` and ``spreadsheet``: the toolkits the apps write their
  documents' HTML and workbooks with.
"""
