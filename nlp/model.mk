# casegraph NER model — included by the top-level Makefile.
#
#   make nlp-model        fine-tune the base model on nlp/corpus/train.jsonl → $(NLP_MODEL_DIR)
#   make nlp-eval         held-out corpus scores of the base and the trained pipeline
#   make nlp-eval-litbank LitBank proper-name NER scores (needs ../shared/data/litbank)
#
# The model is built, never committed; select it with CASEGRAPH_SPACY_MODEL=$(NLP_MODEL_DIR).

CASEGRAPH ?= $(if $(CG),$(CG),.venv/bin/casegraph)
NLP_BASE ?= en_core_web_md
NLP_EPOCHS ?= 15
NLP_MODEL_DIR ?= .casegraph/models/casegraph_ner
NLP_REPORTS ?= .casegraph/reports
LITBANK ?= ../shared/data/litbank

NLP_MODEL_INPUTS := nlp/corpus/train.jsonl nlp/corpus/rehearsal.txt nlp/training/ner.cfg nlp/training/train.py nlp/training/convert.py

.PHONY: nlp-model nlp-eval nlp-eval-litbank

MODEL_TARGETS += nlp-model

nlp-model: $(NLP_MODEL_DIR)/meta.json

$(NLP_MODEL_DIR)/meta.json: $(NLP_MODEL_INPUTS)
	$(CASEGRAPH) nlp train --data nlp/corpus/train.jsonl --out $(NLP_MODEL_DIR) \
		--base $(NLP_BASE) --epochs $(NLP_EPOCHS) --seed 0

nlp-eval: $(NLP_MODEL_DIR)/meta.json
	$(CASEGRAPH) nlp evaluate --data nlp/corpus/test.jsonl --model $(NLP_BASE) \
		--out $(NLP_REPORTS)/ner_test_base.json
	$(CASEGRAPH) nlp evaluate --data nlp/corpus/test.jsonl --model $(NLP_MODEL_DIR) \
		--out $(NLP_REPORTS)/ner_test_trained.json

nlp-eval-litbank:
	$(CASEGRAPH) nlp evaluate --data $(LITBANK) --model $(NLP_BASE) --out $(NLP_REPORTS)/ner_litbank.json
