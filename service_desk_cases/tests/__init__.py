from . import test_case_catalog
