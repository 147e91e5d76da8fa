import IATI
