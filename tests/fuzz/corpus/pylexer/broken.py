f'{f"{f'{x}'}"}'
'unterminated
"""open