@dec
def f(x):
    while True:
        if x: break
    return [i for i in range(10)]
