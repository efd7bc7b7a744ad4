/**
 * The C (clean) action for text: keep the words of a value that are known to describe
 * an examination and identify no one (a vocabulary of body parts, modalities,
 * orientations, techniques) and small numbers; drop every other word.
 *
 * @module
 */

const WORDS = `
ABDOMEN ABD ACQ ACQUISITION ADC AORTA AP ARM ARTERIAL AX AXIAL BASELINE BILAT BILATERAL BLADDER
BODY BONE BRAIN BREAST BW CALF CAP CARDIAC CAROTID CERVICAL CHEST CINE COL COLON CONTRAST CONTROL COR
CORONAL CSPINE CT CTA DELAYED DIFFUSION DIXON DOSE DUAL DWI EAR ECHO ELBOW ENERGY EXTREMITY EYE FACE
FAT FEMUR FFE FIESTA FINGER FLAIR FLOW FOOT FOREARM FSE FUNCTIONAL FUSION GD GRE HAND HEAD HEART HELICAL
HIP HIGH HRCT HUMERUS IAC IMAGE IMAGES IV KIDNEY KNEE LAT LATERAL LEFT LEG LIVER LOCALIZER LOW LSPINE
LUMBAR LUNG LUNGS MEDIASTINUM MIP MPR MR MRA MRI NECK NO NONCONTRAST NM ORBIT ORBITS PA PANCREAS
PELVIS PERFUSION PET PHANTOM PORTAL POST PRE PROTOCOL PD RECON RECONSTRUCTION RIGHT ROUTINE SAG
SAGITTAL SCOUT SE SERIES SHOULDER SINUS SINUSES SKULL SLICE SLICES SOFT SPINE SPIRAL STANDARD STD
STND STUDY SWI T1 T2 TEMPORAL THIN THICK THORAX THORACIC TIBIA TISSUE TOF TOPOGRAM TSE TSPINE US
VENOUS VIEW VOLUME WAIST WHOLE WITH WITHOUT WO WRIST XR
`;

const VOCABULARY: ReadonlySet<string> = new Set(WORDS.trim().split(/\s+/));

/** A small number (up to 3 digits before and after the point): a size, not an identifier. */
const SMALL_NUMBER = /^[+-]?\d{1,3}(\.\d{1,3})?(MM|CM|S|MS)?$/;

/**
 * The words of `text` (split on anything but letters, digits and the decimal point) that
 * are in the vocabulary or small numbers, joined by a space; `""` when none is.
 */
export function cleanText(text: string, maxLength?: number): string {
  const kept = text.split(/[^A-Za-z0-9.+-]+/).filter((w) => {
    const u = w.toUpperCase();
    return u !== "" && (VOCABULARY.has(u) || SMALL_NUMBER.test(u));
  });
  let out = kept.join(" ");
  if (maxLength !== undefined && out.length > maxLength) {
    out = out.slice(0, maxLength).trimEnd();
  }
  return out;
}
