/**
 * `sitecustomize.py` for the Azure CLI 2.45 as Debian packages it (`azure-cli` on bookworm). Debian builds it against
 * its own python3-azure (2023-01-12), whose SDKs are newer than the ones the CLI 2.45 was released with, and three of
 * the mismatches break the commands vnodes' az flow needs, whatever server they talk to:
 *
 * 1. azure-mgmt-network 23.0.0b1 has no `v2022_01_01` models, the version the CLI's `latest` profile names, so every
 *    `az network …` command fails while loading its arguments (`'NoneType' object has no attribute
 *    'standard_medium'`). The shim serves the nearest packaged version (2022-07-01) under that name, for the argument
 *    enums; `az network vnet`/`subnet` commands send their own api-version (2022-01-01) regardless.
 * 2. azure-mgmt-authorization 3.0.0's operation groups keep their configuration as `_config`; the CLI's role code
 *    reads `.config` (`'RoleDefinitionsOperations' object has no attribute 'config'`, azure-cli issues 20546,
 *    22231, 26896).
 * 3. Its operations no longer accept the msrest-era `custom_headers=` the AKS module's role assignment passes
 *    (`Session.request() got an unexpected keyword argument 'custom_headers'`).
 *
 * Each fix only acts where the package is broken (a module that is missing, an attribute lookup that would fail, a
 * method without that parameter), so with a consistent Azure CLI install the file changes nothing. It then runs the
 * `sitecustomize` it shadows, if any.
 */
export const AZ_COMPAT_SITECUSTOMIZE = `# Written by vnodes (emulator start --az-config): fixes for Debian's azure-cli 2.45 package. See
# docs/emulator.md ("The Azure CLI"). Inert with a consistent Azure CLI install.
import functools
import importlib.abc
import importlib.machinery
import importlib.util
import inspect
import os
import sys


class _NetworkModels(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """azure.mgmt.network.v2022_01_01 (absent) -> v2022_07_01. Last on the path: only used when the import fails."""
    MISSING = 'azure.mgmt.network.v2022_01_01'
    NEAREST = 'azure.mgmt.network.v2022_07_01'

    def find_spec(self, name, path=None, target=None):
        if name == self.MISSING or name.startswith(self.MISSING + '.'):
            return importlib.machinery.ModuleSpec(name, self)
        return None

    def create_module(self, spec):
        return importlib.import_module(self.NEAREST + spec.name[len(self.MISSING):])

    def exec_module(self, module):
        pass


def _config_alias(self, name):
    if name == 'config' and '_config' in self.__dict__:
        return self.__dict__['_config']
    raise AttributeError(name)


def _accept_custom_headers(method):
    try:
        if 'custom_headers' in inspect.signature(method).parameters:
            return method
    except (TypeError, ValueError):
        return method

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        headers = kwargs.pop('custom_headers', None)
        if headers:
            kwargs['headers'] = {**kwargs.get('headers', {}), **headers}
        return method(*args, **kwargs)
    return wrapper


class _AuthorizationOperations(importlib.abc.MetaPathFinder):
    """Patches azure.mgmt.authorization operation groups as their modules load."""

    def find_spec(self, name, path=None, target=None):
        if not (name.startswith('azure.mgmt.authorization.') and '.operations._' in name):
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, 'exec_module'):
            return spec
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            for value in list(vars(module).values()):
                if isinstance(value, type) and value.__module__ == module.__name__ and value.__name__.endswith('Operations'):
                    if '__getattr__' not in vars(value):
                        value.__getattr__ = _config_alias
                    for attr, member in list(vars(value).items()):
                        if not attr.startswith('_') and inspect.isfunction(member):
                            setattr(value, attr, _accept_custom_headers(member))
        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _AuthorizationOperations())
sys.meta_path.append(_NetworkModels())

_here = os.path.dirname(os.path.abspath(__file__))
_shadowed = importlib.machinery.PathFinder.find_spec(
    'sitecustomize', [p for p in sys.path if os.path.abspath(p or '.') != _here])
if _shadowed is not None and _shadowed.loader is not None:
    _module = importlib.util.module_from_spec(_shadowed)
    _shadowed.loader.exec_module(_module)
`;
