// Photos from the camera, made small on the phone before they are kept or sent: a phone
// camera's 4-8 MB picture becomes a JPEG of at most 1 MB (and at most 1600 px on its long
// side, enough to read a house number), which also drops the EXIF block with its GPS track.

export const MAX_PHOTO_BYTES = 1000000;
const LONG_SIDE = 1600;
const QUALITIES = [0.82, 0.72, 0.62, 0.5, 0.4];

async function decode(file) {
  if (typeof createImageBitmap === "function") {
    try {
      return await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch {
      // Older WebViews: fall back to an <img>.
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return image;
  } finally {
    URL.revokeObjectURL(url);
  }
}

function encode(canvas, quality) {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("encode failed"))), "image/jpeg", quality);
  });
}

// A JPEG Blob of at most `maxBytes`; throws when the file is not a picture the browser reads.
export async function compressPhoto(file, { maxBytes = MAX_PHOTO_BYTES, longSide = LONG_SIDE } = {}) {
  const image = await decode(file);
  const width0 = image.width || image.naturalWidth;
  const height0 = image.height || image.naturalHeight;
  let scale = Math.min(1, longSide / Math.max(width0, height0));
  for (let round = 0; round < 6; round += 1) {
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width0 * scale));
    canvas.height = Math.max(1, Math.round(height0 * scale));
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // transparent PNG areas become white, not black
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    for (const quality of QUALITIES) {
      const blob = await encode(canvas, quality);
      if (blob.size <= maxBytes) {
        if (image.close) image.close();
        return blob;
      }
    }
    scale *= 0.75; // still too big at the lowest quality: fewer pixels
  }
  if (image.close) image.close();
  throw new Error("photo too large");
}

export function photoName(index) {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").slice(0, 15);
  return `现场照片-${stamp}-${index + 1}.jpg`;
}
