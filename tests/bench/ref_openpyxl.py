# Reference for `make bench`: openpyxl in read-only mode, every cell's
# value of the first sheet, nothing stored.
# usage: python3 ref_openpyxl.py file.xlsx
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
n = 0
for row in wb.worksheets[0].iter_rows(values_only=True):
    n += 1
print(n - 1)
