x = f"{a['k']:>{w}} {{lit}} {b!r}" + rb"\d" + """tri
ple"""
