def index(r):
    pass


cycle = ranking = assessment = evidence_file = index
