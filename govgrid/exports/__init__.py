"""Tables written out for people.

A `Table` (table.py) is a title, typed columns with translated headers and an iterator of
rows; csv_writer.py writes one as UTF-8 CSV (for Excel on Chinese Windows), xlsx_writer.py
writes several as the sheets of one workbook. Both stream: rows are read once, in order, and
never held all at once, so a generator over a database cursor is the intended source.
These three are pure (no Flask, no database); responses.py alone turns tables into a Flask
download (streamed CSV, or xlsx through a temporary file).
"""
