"""Stand-in for the TensorFlow-era dnnlib.tflib.network.Network, only so a pickle can name that class
(latentvj must refuse such pickles). Its state has the shape of the old format: name, kwargs, variables."""


class Network:
    def __init__(self, name, variables):
        self.name = name
        self.variables = variables

    def __getstate__(self):
        return dict(version=4, name=self.name, static_kwargs={}, components={},
                    build_module_src='def G_main(): pass\n', build_func_name='G_main',
                    variables=list(self.variables.items()))
