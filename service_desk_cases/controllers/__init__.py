from . import phone_call
from . import portal
