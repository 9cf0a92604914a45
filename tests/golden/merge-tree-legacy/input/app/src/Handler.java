class Handler {}
