import subprocess as sp
from os import system as s
x = os
x.system("ls"); getattr(__builtins__, "ev" + "al")
